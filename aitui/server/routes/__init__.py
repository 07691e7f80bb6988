"""The API's routes, one module per area; ``app.py`` includes their routers."""
