"""Readers of existing policies (text, Markdown, HTML, Word) that write policy sources."""
