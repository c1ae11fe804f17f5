# This file is part of the coastal customer service project.
