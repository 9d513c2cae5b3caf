// A link that looks like a Button (navigation stays a link: middle-click, copy address, no JS needed).
import Link from "next/link";
import type { ComponentProps } from "react";
import { buttonClasses, type ButtonSize, type ButtonVariant } from "./button";

export function ButtonLink({
  variant,
  size,
  className,
  ...props
}: ComponentProps<typeof Link> & {
  variant?: Exclude<ButtonVariant, "danger">;
  size?: ButtonSize;
}) {
  return <Link className={buttonClasses({ variant, size, className })} {...props} />;
}
