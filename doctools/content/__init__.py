"""Page content that the site's Markdown extensions render: the data of the generated tables."""
