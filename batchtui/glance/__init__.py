"""At a glance: when an active batch will finish, whether it is stuck, and what a batch cost.

Plain Python on top of the api models and the store's observations: no Textual, no httpx, no I/O
(the price list is read from the installed genai-prices package, never from the network).
"""
