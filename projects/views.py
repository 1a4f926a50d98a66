from django.views.generic import DetailView

from common.geojson import feature_collection, geometry_feature
from common.views import FilteredListView
from programme.selectors import activities_of_project
from protected_areas.selectors import page_map_basemap

from .forms import ProjectFilterForm
from .models import Project
from .selectors import project_detail_queryset, project_list, project_related


class ProjectListView(FilteredListView):
    template_name = "projects/project_list.html"
    paginate_by = 20
    filter_form_class = ProjectFilterForm
    list_selector = project_list


class ProjectDetailView(DetailView):
    template_name = "projects/project_detail.html"

    def get_queryset(self):
        return project_detail_queryset()

    def get_context_data(self, **kwargs):
        project: Project = self.object
        sites = [geometry_feature(project.sites, kind="site", name=str(project))]
        areas = [
            geometry_feature(
                area.location, kind="area", name=area.name, url=area.get_absolute_url()
            )
            for area in project.protected_areas.all()
        ]
        return super().get_context_data(
            related_projects=project_related(project),
            activity_links=activities_of_project(project),
            map_data=feature_collection(page_map_basemap(), sites, areas)
            if project.sites or any(areas)
            else None,
            **kwargs,
        )
