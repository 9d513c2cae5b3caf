// A link that looks like a Button (navigation stays a link: middle-click, copy address, no JS needed).
import Link from "next/link";
import type { ComponentProps } from "react";
import { cn } from "./cn";

type Variant = "primary" | "secondary" | "ghost";
type Size = "sm" | "md";

const variants: Record<Variant, string> = {
  primary: "bg-accent text-accent-fg hover:opacity-90 border border-transparent",
  secondary: "bg-surface text-fg border border-border hover:bg-muted",
  ghost: "bg-transparent text-fg border border-transparent hover:bg-muted",
};
const sizes: Record<Size, string> = { sm: "h-8 px-2.5 text-sm", md: "h-9 px-3.5 text-sm" };

export function ButtonLink({
  variant = "secondary",
  size = "md",
  className,
  ...props
}: ComponentProps<typeof Link> & { variant?: Variant; size?: Size }) {
  return (
    <Link
      className={cn(
        "inline-flex items-center justify-center gap-1.5 rounded-md font-medium whitespace-nowrap transition",
        variants[variant],
        sizes[size],
        className,
      )}
      {...props}
    />
  );
}
