// Owns the enrolment QR code: the qrcode package makes the matrix, drawn here as one SVG path (no data: address, which
// the server's CSP refuses; crisp at any print size). The path is a pure function of the matrix.
import QRCode from 'qrcode';

/** An SVG path of the dark modules, one unit per module, runs of dark modules in a row joined into one rectangle. */
export function modulesPath(size: number, isDark: (row: number, column: number) => boolean, quiet = 4): string {
  const parts: string[] = [];
  for (let row = 0; row < size; row++) {
    let column = 0;
    while (column < size) {
      if (!isDark(row, column)) {
        column++;
        continue;
      }
      const start = column;
      while (column < size && isDark(row, column)) column++;
      parts.push(`M${start + quiet} ${row + quiet}h${column - start}v1h${start - column}z`);
    }
  }
  return parts.join('');
}

export function QrCode(props: { text: string; label: string }) {
  const matrix = QRCode.create(props.text, { errorCorrectionLevel: 'M' }).modules;
  const side = matrix.size + 8;
  return (
    <svg class="qr" viewBox={`0 0 ${side} ${side}`} role="img" aria-label={props.label} shape-rendering="crispEdges">
      <rect width={side} height={side} fill="#fff" />
      <path d={modulesPath(matrix.size, (row, column) => matrix.get(row, column) === 1)} fill="#000" />
    </svg>
  );
}
