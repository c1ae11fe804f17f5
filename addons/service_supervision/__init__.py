# This file is part of the coastal customer service project.
"Supervision of the centres: sampled call-backs, courtesy calls, surveys"
