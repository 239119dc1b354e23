import respx

from acme_orders import get_order


@respx.mock
def test_get_order():
    respx.get("https://api.example.com/orders/42").respond(json={"id": "42"})
    assert get_order("https://api.example.com", "42") == {"id": "42"}
