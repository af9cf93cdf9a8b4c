"""Card payment and credit memo API types (the HTML credit form reads the same input type)."""

from __future__ import annotations

from rest_framework import serializers

from orders.billing.models import CreditMemo, Payment, PaymentStatus, RefundStatus
from orders.billing.services.cards import REASON_MAX


class CardPaymentStartedSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="payment.public_id", help_text="The payment's id (`…/payments/{id}/`).")
    client_secret = serializers.CharField(help_text="Give it to Stripe.js `confirmCardPayment`.")
    status = serializers.ChoiceField(source="payment.status", choices=PaymentStatus.choices)
    amount = serializers.DecimalField(source="payment.amount", max_digits=14, decimal_places=2)
    created = serializers.BooleanField(help_text="False when a payment already in progress was returned.")


class CardPaymentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    invoice = serializers.CharField(source="invoice.number")
    status = serializers.ChoiceField(choices=PaymentStatus.choices)
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Payment
        fields = [
            "id",
            "invoice",
            "method",
            "status",
            "status_label",
            "amount",
            "paid_on",
            "failure_message",
            "created_at",
            "settled_at",
        ]


class CardPaymentConfirmInputSerializer(serializers.Serializer):
    token = serializers.RegexField(
        r"^tok_[A-Za-z0-9_]{1,200}$",
        max_length=204,
        help_text="The card token Stripe.js `createToken(cardElement)` returned (`tok_…`).",
    )


class CardPaymentConfirmSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="payment.public_id", help_text="The payment's id.")
    status = serializers.ChoiceField(
        choices=["succeeded", "processing", "requires_action", "requires_payment_method", "declined"],
        help_text="What Stripe answered. `succeeded` / `processing`: wait for the payment's status (settled by "
        "Stripe's webhook); `requires_action`: give `client_secret` to Stripe.js `confirmCardPayment` (3-D Secure); "
        "`declined`: `message` says why, nothing was charged.",
    )
    client_secret = serializers.CharField(allow_blank=True, help_text="Only with `requires_action`.")
    message = serializers.CharField(allow_blank=True, help_text="The card issuer's message for a decline.")


class CreditMemoInputSerializer(serializers.Serializer):
    po_line = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The PO line id being credited.")
    quantity = serializers.IntegerField(min_value=1, max_value=10**6)
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Returned or cancelled, and why.")


class CreditMemoSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    invoice = serializers.CharField(source="invoice.number")
    refund_status = serializers.ChoiceField(choices=RefundStatus.choices)

    class Meta:
        model = CreditMemo
        fields = [
            "id",
            "number",
            "invoice",
            "po_line",
            "quantity",
            "amount",
            "reason",
            "refund_status",
            "refund_failure_message",
            "created_at",
            "refunded_at",
        ]
