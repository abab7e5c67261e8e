import type { QRCodeToStringOptions } from 'qrcode';

/** A QR code as SVG markup. qrcode (with pngjs some 60 files) loads with the first one, not at start-up. */
export async function qrSvg(text: string, options: Omit<QRCodeToStringOptions, 'type'> = {}): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(text, { ...options, type: 'svg' });
}
