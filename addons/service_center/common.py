# This file is part of the coastal customer service project.
"Vocabulary shared by the customer centre's models"

SERVICE_CATEGORIES = [
    ('property_service', "Daily Property Management Service"),
    ('construction_repair', "Housing Repair of Construction Defects"),
    ('common_upkeep', "Routine Upkeep of Common Parts and Equipment"),
    ('common_rectification',
        "Rectification of Common Parts and Equipment"),
    ('opinion', "Opinions, Suggestions and Service Complaints"),
    ('major_rectification',
        "Major Rectification, Design Defects and Repeated Complaints"),
    ]

# Ids per query, well under every backend's parameter limit
MAX_IDS = 1000
