# This file is part of the coastal customer service project.
"""Images from the owners' phones: decoded and encoded again, never trusted
by their name or their declared type"""
import base64
import binascii
import io
import warnings

from owner_portal.exceptions import PortalError
from PIL import Image, ImageOps

from trytond import config
from trytond.i18n import gettext

try:
    import pi_heif
except ImportError:  # the decoder of iPhones' HEIC photos is optional
    pi_heif = None
else:
    pi_heif.register_heif_opener()

# [owner_portal] photo_max_bytes, beside the portal's other settings
SECTION = 'owner_portal'
PHOTO_FORMATS = {'JPEG', 'PNG', 'WEBP', 'HEIF'}
SIGNATURE_FORMATS = {'PNG', 'JPEG', 'WEBP'}
# A photo is scaled down to fit this square, which keeps the details a
# department needs
MAX_SIDE = 2560
MAX_PIXELS = 50_000_000
MAX_SIGNATURE_BYTES = 1024 * 1024


def max_photo_bytes():
    return config.getint(
        SECTION, 'photo_max_bytes', default=10 * 1024 * 1024)


def _decode(data, formats, limit):
    "The loaded image of data, when it is one of formats"
    if not data or len(data) > limit:
        raise PortalError(gettext(
                'owner_portal_request.msg_photo_too_big',
                size=limit // (1024 * 1024)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('error', Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if (image.format not in formats
                    or image.width * image.height > MAX_PIXELS):
                raise ValueError(image.format)
            image.load()
            return ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, EOFError,
            Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PortalError(gettext(
                'owner_portal_request.msg_photo_invalid'))


def photo_jpeg(data):
    """The photo as a JPEG of at most MAX_SIDE pixels, without its metadata
    (place, device)"""
    image = _decode(data, PHOTO_FORMATS, max_photo_bytes())
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if image.mode != 'RGB':
        background = Image.new('RGB', image.size, 'white')
        image = image.convert('RGBA')
        background.paste(image, mask=image.getchannel('A'))
        image = background
    output = io.BytesIO()
    image.save(output, 'JPEG', quality=85, optimize=True)
    return output.getvalue()


def signature_png(data_url):
    "The signature drawn on the phone (a data: URL) as a PNG"
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
    image = _decode(data, SIGNATURE_FORMATS, MAX_SIGNATURE_BYTES)
    if image.getbbox() is None or image.convert('L').getextrema() == (
            255, 255):
        # Nothing drawn
        raise PortalError(gettext(
                'owner_portal_request.msg_signature_invalid'))
    output = io.BytesIO()
    image.save(output, 'PNG', optimize=True)
    return output.getvalue()
