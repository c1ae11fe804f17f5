# This file is part of the coastal customer service project.
"Test defaults: an in-memory SQLite database unless told otherwise"
import os

os.environ.setdefault('TRYTOND_DATABASE_URI', 'sqlite://')
if os.environ['TRYTOND_DATABASE_URI'].startswith('sqlite'):
    os.environ.setdefault('DB_NAME', ':memory:')
