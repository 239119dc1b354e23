"""Client for the orders API."""

import httpx

__version__ = "2.3.0"


def get_order(base_url: str, order_id: str) -> dict:
    response = httpx.get(f"{base_url}/orders/{order_id}", timeout=10)
    response.raise_for_status()
    return response.json()
