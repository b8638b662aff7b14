from faims.core.views import object_urls

from . import views
from .models import Department, Organisation, Person, Region, User

app_name = "org"

urlpatterns = [
    *object_urls(Region, prefix="regions", list_view=views.RegionListView, view=views.RegionView,
                 edit_view=views.RegionEditView, delete_view=views.RegionDeleteView),
    *object_urls(Department, prefix="departments", list_view=views.DepartmentListView, view=views.DepartmentView,
                 edit_view=views.DepartmentEditView, delete_view=views.DepartmentDeleteView),
    *object_urls(Organisation, prefix="organisations", list_view=views.OrganisationListView,
                 view=views.OrganisationView, edit_view=views.OrganisationEditView,
                 delete_view=views.OrganisationDeleteView),
    *object_urls(Person, prefix="people", list_view=views.PersonListView, view=views.PersonView,
                 edit_view=views.PersonEditView, delete_view=views.PersonDeleteView),
    *object_urls(User, prefix="users", list_view=views.UserListView, view=views.UserView,
                 edit_view=views.UserEditView, delete_view=views.UserDeleteView),
]
