"""Hybrid retrieval over the articles: dense embeddings in FAISS plus jieba BM25, fused by reciprocal rank."""
import index.offline  # noqa: F401  (must run before any Hugging Face import)
