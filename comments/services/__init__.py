"""Write-side actions on comments, one module per concern."""
