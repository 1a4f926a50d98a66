from django.core.validators import MaxValueValidator, MinValueValidator

# Years a record may name (establishment, agreement, census, meeting…): from the first
# protected areas and censuses to a plausible planning horizon.
YEAR_VALIDATORS = [MinValueValidator(1800), MaxValueValidator(2100)]
