from django.urls import path

from .views import OperatorHomeView

urlpatterns = [path("operator/", OperatorHomeView.as_view(), name="operator-home")]
