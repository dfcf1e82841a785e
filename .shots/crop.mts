import sharp from 'sharp';
const [f, top, h] = process.argv.slice(2);
const m = await sharp(f!).metadata();
await sharp(f!).extract({ left: 0, top: Number(top), width: m.width!, height: Math.min(Number(h), m.height! - Number(top)) }).toFile('/tmp/pictures-view.png');
