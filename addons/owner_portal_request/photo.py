# This file is part of the coastal customer service project.
"""Images from the owners' phones: decoded and encoded again, never trusted
by their name or their declared type, and refused from their header when
decoding them would take too much memory"""
import base64
import binascii
import io

from owner_portal.exceptions import PortalError
from PIL import Image, ImageOps

from trytond import config
from trytond.i18n import gettext

from .exceptions import PhotoTooLarge

try:
    import pi_heif
except ImportError:  # the decoder of iPhones' HEIC photos is optional
    pi_heif = None
else:
    pi_heif.register_heif_opener()

# [owner_portal] photo_max_bytes, beside the portal's other settings
SECTION = 'owner_portal'
PHOTO_FORMATS = ['JPEG', 'PNG', 'WEBP', 'HEIF']
SIGNATURE_FORMATS = ['PNG', 'JPEG', 'WEBP']
# The most pixels an image is decoded to: a 24-megapixel photo (5712 x
# 4284), the largest phones take by default; some 100 MB of memory. A JPEG
# is decoded at a half, a quarter or an eighth of its size when that still
# fills the stored size, so larger JPEGs pass.
MAX_PIXELS = 25_000_000
# Pillow's own guard, for every image this process opens: it refuses one
# of more than twice this many pixels from its header (DecompressionBomb)
Image.MAX_IMAGE_PIXELS = 2 * MAX_PIXELS
# Stored photos fit this square, which keeps the details a department
# needs; signatures fit a smaller one
MAX_SIDE = 2048
SIGNATURE_MAX_SIDE = 1024
JPEG_QUALITY = 85
MAX_SIGNATURE_BYTES = 1024 * 1024
MEGA = 1_000_000


def max_photo_bytes():
    return config.getint(
        SECTION, 'photo_max_bytes', default=10 * 1024 * 1024)


def _too_large():
    return PhotoTooLarge(gettext(
            'owner_portal_request.msg_photo_too_many_pixels',
            megapixels=MAX_PIXELS // MEGA))


def _decode(data, formats, limit, side):
    """The image of data, when it is one of formats, decoded at the least
    size that still fills a square of side, turned upright"""
    if not data or len(data) > limit:
        raise PhotoTooLarge(gettext(
                'owner_portal_request.msg_photo_too_big',
                size=limit // (1024 * 1024)))
    try:
        # Reads the header only, trying only the decoders of formats
        image = Image.open(io.BytesIO(data), formats=formats)
        if image.format == 'JPEG':
            image.draft('RGB', (side, side))
        if image.width * image.height > MAX_PIXELS:
            raise _too_large()
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large()
    except (OSError, ValueError, SyntaxError, EOFError):
        raise PortalError(gettext(
                'owner_portal_request.msg_photo_invalid'))
    return image


def photo_jpeg(data):
    """The photo as a JPEG of at most MAX_SIDE pixels a side, upright,
    without its metadata (place, device) but its colour profile"""
    image = _decode(data, PHOTO_FORMATS, max_photo_bytes(), MAX_SIDE)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode != 'RGB':
        background = Image.new('RGB', image.size, 'white')
        image = image.convert('RGBA')
        background.paste(image, mask=image.getchannel('A'))
        image.close()
        image = background
    output = io.BytesIO()
    image.save(output, 'JPEG', quality=JPEG_QUALITY, optimize=True,
        icc_profile=image.info.get('icc_profile'))
    return output.getvalue()


def signature_png(data_url):
    """The signature drawn on the phone (a data: URL) as a PNG of at most
    SIGNATURE_MAX_SIDE pixels a side"""
    if not isinstance(data_url, str) or ',' not in data_url[:64]:
        raise PortalError(gettext(
                'owner_portal_request.msg_signature_invalid'))
    header, payload = data_url.split(',', 1)
    if not header.startswith('data:image/') or not header.endswith(
            ';base64'):
        raise PortalError(gettext(
                'owner_portal_request.msg_signature_invalid'))
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise PortalError(gettext(
                'owner_portal_request.msg_signature_invalid'))
    image = _decode(
        data, SIGNATURE_FORMATS, MAX_SIGNATURE_BYTES, SIGNATURE_MAX_SIDE)
    image.thumbnail((SIGNATURE_MAX_SIDE, SIGNATURE_MAX_SIDE))
    if image.getbbox() is None or image.convert('L').getextrema() == (
            255, 255):
        # Nothing drawn
        raise PortalError(gettext(
                'owner_portal_request.msg_signature_invalid'))
    output = io.BytesIO()
    image.save(output, 'PNG', optimize=True)
    return output.getvalue()
