// Photos are made smaller on the device before they are stored: the longest side at most
// PHOTO_LONGEST_SIDE pixels, turned upright by their orientation tag, as JPEG; with a small thumbnail.

export const PHOTO_LONGEST_SIDE = 2048;
const THUMBNAIL_SIDE = 320;

/** The downscaled photo and thumbnail as blobs, with the photo's SHA-256 (lower-case hex) and size. */
export async function prepare(file, longest = PHOTO_LONGEST_SIDE) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const blob = await encode(bitmap, longest, 0.85);
    const thumb = await encode(bitmap, THUMBNAIL_SIDE, 0.7);
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    const sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    const taken = file.lastModified ? new Date(file.lastModified) : new Date();
    return { blob, thumb, sha256, size: blob.size, takenAt: taken.toISOString() };
  } finally {
    bitmap.close();
  }
}

async function encode(bitmap, longest, quality) {
  const scale = Math.min(1, longest / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d').drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
}
