from faims.core.views import object_urls

from . import views
from .models import Target

app_name = "targets"

urlpatterns = object_urls(
    Target, prefix="targets", list_view=views.TargetListView, view=views.TargetView,
    edit_view=views.TargetEditView, delete_view=views.TargetDeleteView,
)
