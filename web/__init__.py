"""The web front end's pieces (rendering, chat, browse, compare, quiz, handouts); app.py assembles them."""
