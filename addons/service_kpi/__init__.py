# This file is part of the coastal customer service project.
"Evaluation of the customer centres: facts, reports, dashboards"
