"""Buyer catalog pages: /agencies/<org>/catalog/…"""

urlpatterns: list = []
