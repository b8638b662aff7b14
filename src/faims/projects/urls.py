from django.urls import path

from faims.core.views import object_urls

from . import node_views, views
from .models import AnnualPlan, Library, Membership, NodePlan, ProjectPerson

app_name = "projects"

urlpatterns = [
    # The registry itself lives at /projects/; its companions have their own prefixes below it.
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("add/", views.ProjectEditView.as_view(), name="project_add"),
    path("<int:pk>/", views.ProjectView.as_view(), name="project"),
    path("<int:pk>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("<int:pk>/delete/", views.ProjectDeleteView.as_view(), name="project_delete"),
    *object_urls(Library, list_view=views.LibraryListView, view=views.LibraryView, edit_view=views.LibraryEditView,
                 delete_view=views.LibraryDeleteView, prefix="libraries"),
    *object_urls(Membership, list_view=views.MembershipListView, view=views.MembershipView,
                 edit_view=views.MembershipEditView, delete_view=views.MembershipDeleteView, prefix="memberships"),
    *object_urls(AnnualPlan, list_view=views.AnnualPlanListView, view=views.AnnualPlanView,
                 edit_view=views.AnnualPlanEditView, delete_view=views.AnnualPlanDeleteView, prefix="plans"),
    *object_urls(ProjectPerson, list_view=views.ProjectPersonListView, view=views.ProjectPersonView,
                 edit_view=views.ProjectPersonEditView, delete_view=views.ProjectPersonDeleteView, prefix="people"),
    path("nodes/monthly/", node_views.NodeMonthlyView.as_view(), name="node_monthly"),
    path("nodes/<int:pk>/move/", node_views.NodePlanMoveView.as_view(), name="nodeplan_move"),
    *object_urls(NodePlan, list_view=node_views.NodePlanListView, view=node_views.NodePlanView,
                 edit_view=node_views.NodePlanEditView, delete_view=node_views.NodePlanDeleteView, prefix="nodes"),
]
