"""A question → retrieval → an answer whose every sentence cites its paragraph."""
