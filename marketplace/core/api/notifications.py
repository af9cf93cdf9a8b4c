"""The signed-in user's notification centre and e-mail settings: `/api/v1/me/notifications/…` and
`/api/v1/me/notification-preferences/`. Only the user's own rows; another user's notification id is a 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from ..errors import ApplicationError
from ..filters import NotificationFilter
from ..models import Notification
from ..selectors import notification_list, notification_preference_list
from ..services.notifications import notification_mark_read, notification_preferences_set, notification_read_set
from .errors import ErrorSerializer
from .filters import OrganizationFilterBackend
from .serializers import (
    NotificationPreferencesInputSerializer,
    NotificationPreferencesSerializer,
    NotificationSerializer,
    ReadAllSerializer,
)
from .views import BODY_ERRORS, ERROR_RESPONSES, LIST_ERRORS

# A mark action has no body and no state it can conflict with: 401 or 404 (not yours, or no such id).
MARK_ERRORS = {401: ERROR_RESPONSES[401], 404: ERROR_RESPONSES[404]}


class NotificationListView(generics.ListAPIView):
    queryset = Notification.objects.none()  # names the model for the schema; rows come from get_queryset()
    serializer_class = NotificationSerializer
    filter_backends = [OrganizationFilterBackend]
    filterset_class = NotificationFilter

    def get_queryset(self):
        return notification_list(user=self.request.user)

    @extend_schema(
        operation_id="me_notifications_list",
        summary="Your notifications, newest first (`unread=1`: only the unread ones)",
        responses={200: NotificationSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationMarkView(APIView):
    read: bool = True

    def post(self, request, notification_id: int):
        try:
            notification = notification_read_set(user=request.user, notification_id=notification_id, read=self.read)
        except ApplicationError as exc:
            raise Http404(exc.message) from exc
        return Response(NotificationSerializer(notification).data)


class NotificationReadView(NotificationMarkView):
    read = True

    @extend_schema(
        operation_id="me_notification_read",
        summary="Mark one of your notifications read (again: no change)",
        request=None,
        responses={200: NotificationSerializer, **MARK_ERRORS},
    )
    def post(self, request, notification_id: int):
        return super().post(request, notification_id)


class NotificationUnreadView(NotificationMarkView):
    read = False

    @extend_schema(
        operation_id="me_notification_unread",
        summary="Mark one of your notifications unread (again: no change)",
        request=None,
        responses={200: NotificationSerializer, **MARK_ERRORS},
    )
    def post(self, request, notification_id: int):
        return super().post(request, notification_id)


class NotificationReadAllView(APIView):
    @extend_schema(
        operation_id="me_notifications_read_all",
        summary="Mark all of your notifications read",
        request=None,
        responses={200: ReadAllSerializer, 401: ERROR_RESPONSES[401]},
    )
    def post(self, request):
        return Response(ReadAllSerializer({"marked": notification_mark_read(user=request.user)}).data)


class NotificationPreferencesView(APIView):
    def _answer(self, request):
        rows = notification_preference_list(user=request.user)
        return Response(NotificationPreferencesSerializer({"preferences": rows}).data)

    @extend_schema(
        operation_id="me_notification_preferences",
        summary="Your e-mail setting for every kind of notification (no setting stored: e-mail on)",
        responses={200: NotificationPreferencesSerializer, 401: ERROR_RESPONSES[401]},
    )
    def get(self, request):
        return self._answer(request)

    @extend_schema(
        operation_id="me_notification_preferences_update",
        summary="Turn e-mail on or off per kind (`general` cannot be turned off); all or nothing is saved",
        request=NotificationPreferencesInputSerializer,
        responses={
            200: NotificationPreferencesSerializer,
            **BODY_ERRORS,
            400: OpenApiResponse(
                ErrorSerializer,
                description="`invalid`: an unknown kind, a kind twice, a value that is not a boolean, or `general` "
                "turned off; `fields` says which. Nothing was saved.",
            ),
        },
    )
    def put(self, request):
        serializer = NotificationPreferencesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = {item["kind"]: item["email"] for item in serializer.validated_data["preferences"]}
        notification_preferences_set(user=request.user, email=email)
        return self._answer(request)
