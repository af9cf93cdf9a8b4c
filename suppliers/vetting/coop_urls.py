from suppliers.vetting.urls import coop_urlpatterns as urlpatterns

__all__ = ["urlpatterns"]
