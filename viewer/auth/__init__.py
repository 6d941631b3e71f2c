"""Qt-free sign-in: globaliD Connect in the browser, app credentials, Falkor token files.

The token endpoint, expiry and renewal are Authlib's (``token_endpoint``); this package adds
the loopback redirect listener, the Connect URL with its state and nonce, when to renew,
and the token sources the API clients ask for their tokens.
"""
