"""Ingestion stages: load -> clean -> chunk -> (embed, store) in pipeline."""
