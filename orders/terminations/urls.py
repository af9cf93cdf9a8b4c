from django.urls import path

from orders.terminations import views

urlpatterns = [
    path(
        "coops/<slug:org>/contracts/<slug:contract>/terminate/",
        views.ContractTerminateView.as_view(),
        name="coop-contract-terminate",
    ),
]
