/** One dependency the readiness probe asks; `check` rejects when it cannot be used. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}
