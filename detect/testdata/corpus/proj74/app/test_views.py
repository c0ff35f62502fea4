from django.test import TestCase


class ProfileTests(TestCase):
    def test_user_profile_returns_422_when_missing_token(self):
        response = self.client.get("/profile/?utm_source=news&utm_medium=email&utm_campaign=spring2023")
        self.assertEqual(response.status_code, 422)
