"""The mail outbox: every email the portal sends is a row written in the transaction of the
action that causes it, and a task worker delivers it afterwards with retries.

The bottom of the layers: it knows nothing of the portal's data, accounts or requests.
"""
