# This file is part of the coastal customer service project.
"Owners' requests on the portal: submit, follow, sign off and rate them"
