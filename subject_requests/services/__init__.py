"""Every change to a request goes through these functions: each runs in one transaction and
writes its audit event inside it; customer emails leave only after the commit."""
