/* The part of jQuery UI's tabs widget that modeltranslation's admin tabs use:
   `$(el).tabs({active: n})`, `.tabs("option", "active", n)` and the "tabsactivate" event.
   Served locally instead of the jQuery UI copy on a CDN. */
(function ($) {
  "use strict";

  function activate($container, index) {
    var $items = $container.children("ul").children("li");
    var $panels = $container.children("div");
    if (index < 0 || index >= $items.length) return;
    var $old = $items.filter(".ui-tabs-active");
    $items.removeClass("ui-tabs-active ui-state-active");
    $items.children("a").attr({ "aria-selected": "false", tabindex: "-1" });
    $panels.addClass("ui-tabs-hide").attr("hidden", "hidden");
    var $tab = $items.eq(index);
    $tab.addClass("ui-tabs-active ui-state-active");
    $tab.children("a").attr({ "aria-selected": "true", tabindex: "0" });
    $panels.eq(index).removeClass("ui-tabs-hide").removeAttr("hidden");
    $container.data("translationTabsActive", index);
    if ($old.length && $old[0] !== $tab[0]) {
      $container.trigger("tabsactivate", { newTab: $tab, oldTab: $old });
    }
  }

  $.fn.tabs = function (options, name, value) {
    if (options === "option" && name === "active") {
      if (value === undefined) return this.first().data("translationTabsActive");
      return this.each(function () { activate($(this), value); });
    }
    return this.each(function () {
      var $container = $(this).addClass("ui-tabs ui-widget");
      var $list = $container.children("ul").addClass("ui-tabs-nav").attr("role", "tablist");
      // The link is the tab (a focusable control inside an element with role "tab" would be
      // a control nested in a control); the list item only holds it.
      $list.children("li").addClass("ui-tabs-tab ui-state-default").attr("role", "presentation");
      $list.children("li").children("a").attr("role", "tab");
      $container.children("div").addClass("ui-tabs-panel").attr("role", "tabpanel");
      $list.on("click", "a", function (event) {
        event.preventDefault();
        activate($container, $(this).parent().index());
      });
      activate($container, (options && options.active) || 0);
    });
  };
})(window.django && window.django.jQuery ? window.django.jQuery : window.jQuery);
