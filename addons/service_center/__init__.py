# This file is part of the coastal customer service project.
"Customer centre: property register, customer centre, back-factory departments"
