from django.test import TestCase


class ProfileTests(TestCase):
    def test_user_profile_returns_422_when_token_is_missing_2(self):
        response = self.client.get("/api/profile?query=paginated&ordering=-created&page=1")
        self.assertEqual(response.status_code, 422)

    def test_orders_filter(self):
        Order.objects.filter(customer__address__city__iexact="x", lines__product__sku__in=[1])
