/** The configured limits the file use cases hold to (MAX_UPLOAD_BYTES, MULTIPART_*, PRESIGN_MAX_SECONDS). */
export interface FileLimits {
  maxUploadBytes: number;
  /** Direct uploads above this get a multipart plan instead of one pre-signed PUT. */
  multipartThresholdBytes: number;
  /** Preferred part size of a multipart plan; grown when the file would need too many parts. */
  partBytes: number;
  presignMaxSeconds: number;
}
