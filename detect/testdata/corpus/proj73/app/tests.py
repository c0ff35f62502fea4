from django.test import TestCase, override_settings


@override_settings(SECRET_KEY="@@KEY:p73@@")
class SigningTests(TestCase):
    def test_sign(self):
        pass
