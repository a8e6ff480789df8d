/**
 * A strict multipart/form-data reader for the fake platforms: parts by field name, with the file
 * name and content type a real platform reads. Null when the body is not well-formed multipart.
 */
export interface FormPart {
  name: string
  fileName?: string
  contentType?: string
  data: Buffer
}

export function parseMultipart(contentType: string | undefined, body: Buffer): Map<string, FormPart> | null {
  const boundary = /multipart\/form-data;\s*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1]
  if (!boundary) return null
  const delimiter = Buffer.from(`--${boundary}`)
  const parts = new Map<string, FormPart>()
  let at = body.indexOf(delimiter)
  if (at !== 0) return null
  while (true) {
    at += delimiter.length
    if (body.subarray(at, at + 2).toString() === '--') return parts
    if (body.subarray(at, at + 2).toString() !== '\r\n') return null
    const headersEnd = body.indexOf('\r\n\r\n', at)
    if (headersEnd < 0) return null
    const headers = body.subarray(at + 2, headersEnd).toString('utf8')
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd)
    if (next < 0) return null
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headers)?.[1] ?? ''
    const name = /\bname="([^"]*)"/.exec(disposition)?.[1]
    if (name === undefined) return null
    parts.set(name, {
      name,
      fileName: /\bfilename="([^"]*)"/.exec(disposition)?.[1],
      contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim(),
      data: body.subarray(headersEnd + 4, next),
    })
    at = next + 2
  }
}

/** PNG or JPEG by their magic bytes, as the platforms check. */
export function imageFormat(data: Buffer): 'png' | 'jpeg' | null {
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png'
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg'
  return null
}
