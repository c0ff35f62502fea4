import stripe
from binance.client import Client

client = Client(api_key="vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", secret_key="NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j")
stripe.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
