from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from contracts.views.public import HomeView
from marketplace.core.health import healthz, status_page

# JSON (the API error shape) for paths under /api/, the HTML pages elsewhere.
handler404 = "marketplace.core.views.page_not_found"
handler500 = "marketplace.core.views.server_error"

api_v1 = [
    path("", include("marketplace.core.api.urls")),
    path("", include("marketplace.core.team.api.urls")),
    path("", include("agencies.api.urls")),
    path("", include("agencies.setup.api.urls")),
    path("", include("agencies.onboarding.api.urls")),
    path("", include("suppliers.api.urls")),
    path("", include("suppliers.vetting.api.urls")),
    path("", include("contracts.api.urls")),
    path("", include("contracts.catalog.api.urls")),
    path("", include("orders.carts.api.urls")),
    path("", include("orders.requisitions.api.urls")),
    path("", include("orders.approvals.api.urls")),
    path("", include("orders.purchase_orders.api.urls")),
    path("", include("orders.purchase_orders.desk.api.urls")),
    path("", include("orders.purchase_orders.lists.api.urls")),
    path("", include("orders.receiving.api.urls")),
    path("", include("orders.billing.accounts.api.urls")),
    path("", include("orders.billing.invoices.api.urls")),
    path("", include("orders.billing.cards.api.urls")),
    path("", include("agencies.agreements.api.urls")),
    path("", include("agencies.directory.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("status/", status_page, name="service-status"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # the public front page (contracts may read every layer it shows); signed in: the user's organization home
    path("", HomeView.as_view(), name="home"),
    path("", include("marketplace.core.urls")),
    path("", include("marketplace.operator.urls")),
    path("", include("marketplace.core.team.urls")),
    path("agencies/", include("orders.home.urls")),
    path("agencies/", include("agencies.urls.buyer")),
    path("agencies/", include("agencies.setup.urls")),
    path("agencies/", include("orders.carts.urls")),
    path("agencies/", include("orders.requisitions.urls")),
    path("suppliers/", include("contracts.urls.supplier")),
    path("suppliers/", include("suppliers.urls")),
    path("suppliers/", include("suppliers.vetting.urls")),
    path("suppliers/", include("contracts.catalog.urls.supplier")),
    path("coops/", include("agencies.urls.coop")),
    path("", include("agencies.onboarding.urls")),
    path("coops/", include("contracts.urls.coop")),
    path("coops/", include("contracts.catalog.urls.coop")),
    path("coops/", include("suppliers.vetting.coop_urls")),
    path("contracts/", include("contracts.urls.public")),
    path("", include("orders.approvals.urls")),
    path("", include("orders.purchase_orders.urls")),
    path("", include("orders.purchase_orders.desk.urls")),
    path("", include("orders.purchase_orders.lists.urls")),
    path("", include("orders.receiving.urls")),
    path("", include("orders.billing.accounts.urls")),
    path("", include("orders.billing.invoices.urls")),
    path("", include("orders.billing.cards.urls")),
    path("agencies/", include("agencies.agreements.urls")),
    path("coops/", include("agencies.agreements.coop_urls")),
    path("coops/", include("agencies.directory.urls")),
]
