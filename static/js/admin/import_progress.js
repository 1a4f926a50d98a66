// The progress bar of a running import (admin → Imports): polls the import's small JSON view
// and reloads the page, which then shows the report, once the task has finished.
(function () {
  "use strict";
  const box = document.getElementById("import-progress");
  if (!box) {
    return;
  }
  const bar = document.getElementById("import-progress-bar");
  const count = box.querySelector(".import-progress__count");

  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((progress) => {
        if (!progress.running) {
          window.location.reload();
          return;
        }
        bar.max = Math.max(progress.total, 1);
        bar.value = progress.done;
        count.textContent = `${progress.done.toLocaleString()} / ${progress.total.toLocaleString()}`;
        window.setTimeout(poll, 1000);
      })
      .catch(() => window.setTimeout(poll, 5000));
  }
  window.setTimeout(poll, 1000);
})();
