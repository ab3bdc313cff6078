"""Knowledge-base articles (Markdown with YAML front matter), read through core.data."""
