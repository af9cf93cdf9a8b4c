"""/agencies/<org>/: the agency home (with the savings its orders made); included under agencies/."""

from django.urls import path

from orders.home.views import AgencyHomeView

urlpatterns = [path("<slug:org>/", AgencyHomeView.as_view(), name="agency-home")]
