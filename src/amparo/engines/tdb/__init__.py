"""Analytics of the DSA Transparency Database (statements of reasons), free of Django."""
