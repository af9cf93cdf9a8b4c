"""Buyer catalog API: /api/v1/agencies/<org>/catalog/…"""

urlpatterns: list = []
