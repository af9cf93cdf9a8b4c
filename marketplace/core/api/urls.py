from django.urls import path

from marketplace.core.roles import OrgKind

from .views import MemberListBase, MeView


def _members_view(kind: str):
    return type(f"{kind.title()}MemberList", (MemberListBase,), {"organization_kind": kind}).as_view()


urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("agencies/<slug:org>/members/", _members_view(OrgKind.AGENCY), name="api-agency-members"),
    path("suppliers/<slug:org>/members/", _members_view(OrgKind.SUPPLIER), name="api-supplier-members"),
    path("coops/<slug:org>/members/", _members_view(OrgKind.COOPERATIVE), name="api-coop-members"),
]
