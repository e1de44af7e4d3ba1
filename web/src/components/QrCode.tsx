// A QR code drawn here as SVG from the text (the otpauth:// URI): the secret never leaves the
// page, and no data: URL or outside service is needed.
import QRCode from 'qrcode';
import { useId, useMemo } from 'react';

const QUIET_ZONE = 4;

export function QrCode({ text, label }: { text: string; label: string }) {
  const titleId = useId();
  const { size, path } = useMemo(() => {
    const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
    let d = '';
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        if (modules.get(row, col)) d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
      }
    }
    return { size: modules.size + QUIET_ZONE * 2, path: d };
  }, [text]);
  return (
    <svg className="qr-code" role="img" aria-labelledby={titleId} viewBox={`0 0 ${size} ${size}`} shapeRendering="crispEdges">
      <title id={titleId}>{label}</title>
      <rect width={size} height={size} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}
