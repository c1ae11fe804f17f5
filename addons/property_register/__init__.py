# This file is part of the coastal customer service project.
"Property register: regions, projects, buildings, units, owners and warranty"
